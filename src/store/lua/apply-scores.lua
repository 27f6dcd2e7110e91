--[[
  Scores one round, once and all at once: a retried reveal, or a second replica, changes nothing.
  Variable key count: the caller passes numkeys. All keys share the server's hash tag.

  KEYS[1] "scored" flag of the round       KEYS[2] names hash (member id -> display name)
  KEYS[3] channel streaks hash             KEYS[4] channel live-streak set
  KEYS[5] channel counters hash            KEYS[6] server counters hash
  KEYS[7] server groups hash (name -> JSON)
  KEYS[8 .. 7+B]           board sorted sets                              (B = #boards)
  KEYS[8+B .. 7+B+N]       stats hash of each entry's member, entry order (N = #entries)
  then per group (G = #groups): its members hash, then its P board sorted sets (P = #groupBoards)

  ARGV[1] JSON payload:
    at          epoch seconds of the scoring (board tie-break)
    scheduled   true for a scheduled round: streaks, groups and round counters are updated too
    month       'yyyy-MM' of the round in the channel's zone (streak freezes are per month)
    entries     [{ id, name, points, answered, coverage }]  coverage is an integer 0..1000
    boards      [expireAt epoch s, or 0 to keep forever], one per board key
    topics      [topic tag] of the question
    groups      [group name], one per group key block
    groupBoards [expireAt or 0], one per board of a group block

  Board score = points * 2^32 + (2^32 - 1 - at): more points first, then whoever got there first.
  Streak record { c current, b best, f month of the last freeze, l channel round last answered }.
  A live member (c > 0) who did not answer keeps the streak once per calendar month (the freeze),
  otherwise it drops to 0. Group member record { n, t, j server rounds when joining, a answered }.
  Group record { by, at, c team streak, b best team streak }: c grows when every member answered.

  Returns 1 when applied, 0 when this round was already scored.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end

local p = cjson.decode(ARGV[1])
local at = tonumber(p.at)
local entries, boards, topics = p.entries, p.boards, p.topics
local groups, groupBoards = p.groups, p.groupBoards
local B, N, G, P = #boards, #entries, #groups, #groupBoards
if not at or #KEYS ~= 7 + B + N + G * (1 + P) then
  return redis.error_reply('apply-scores: ' .. #KEYS .. ' keys do not match the payload')
end
-- Validate everything before the first write: Redis does not roll back a failed script.
for i = 1, N do
  local e = entries[i]
  e.points = tonumber(e.points)
  e.coverage = math.floor(tonumber(e.coverage) or 0)
  if type(e.id) ~= 'string' or type(e.name) ~= 'string' or not e.points then
    return redis.error_reply('apply-scores: bad entry ' .. i)
  end
end

redis.call('SET', KEYS[1], at)

local TWO32 = 4294967296
local function addPoints(key, member, pts)
  local cur = redis.call('ZSCORE', key, member)
  local old = 0
  if cur then old = math.floor(tonumber(cur) / TWO32) end
  redis.call('ZADD', key, string.format('%.0f', (old + pts) * TWO32 + (TWO32 - 1 - at)), member)
end
local function expireAt(key, exp)
  exp = tonumber(exp)
  if exp and exp > 0 then redis.call('EXPIREAT', key, exp, 'NX') end
end

-- Boards, names and member stats.
local answered = {}
for i = 1, N do
  local e = entries[i]
  redis.call('HSET', KEYS[2], e.id, e.name)
  if e.points > 0 then
    for b = 1, B do addPoints(KEYS[7 + b], e.id, e.points) end
  end
  if e.answered then
    answered[e.id] = e
    local sk = KEYS[7 + B + i]
    redis.call('HINCRBY', sk, p.scheduled and 'answered' or 'practice', 1)
    redis.call('HINCRBY', sk, 'cov', e.coverage)
    for _, t in ipairs(topics) do
      redis.call('HINCRBY', sk, 'n:' .. t, 1)
      redis.call('HINCRBY', sk, 'c:' .. t, e.coverage)
    end
  end
end
for b = 1, B do expireAt(KEYS[7 + b], boards[b]) end

if not p.scheduled then return 1 end

-- Streaks: rounds are numbered in the order they are scored, so only scheduled rounds count and a
-- weekday schedule has no weekend gap.
local seq = redis.call('HINCRBY', KEYS[5], 'rounds', 1)
redis.call('HINCRBY', KEYS[6], 'rounds', 1)
local function loadStreak(m)
  local raw = redis.call('HGET', KEYS[3], m)
  if raw then return cjson.decode(raw) end
  return { c = 0, b = 0, f = '', l = 0 }
end
for i = 1, N do
  local e = entries[i]
  if e.answered then
    local s = loadStreak(e.id)
    if (s.c or 0) > 0 then s.c = s.c + 1 else s.c = 1 end
    if s.c > (s.b or 0) then s.b = s.c end
    s.l = seq
    redis.call('HSET', KEYS[3], e.id, cjson.encode(s))
    redis.call('SADD', KEYS[4], e.id)
  end
end
for _, m in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  if not answered[m] then
    local s = loadStreak(m)
    if s.f ~= p.month then
      s.f = p.month
    else
      s.c = 0
      redis.call('SREM', KEYS[4], m)
    end
    redis.call('HSET', KEYS[3], m, cjson.encode(s))
  end
end

-- Study groups: boards for the members' groups, participation, team streaks.
local base = 7 + B + N
for g = 1, G do
  local name = groups[g]
  local mk = KEYS[base + (g - 1) * (1 + P) + 1]
  local raw = redis.call('HGET', KEYS[7], name)
  if raw then
    local grp = cjson.decode(raw)
    local flat = redis.call('HGETALL', mk)
    local everyone = #flat > 0
    for j = 1, #flat, 2 do
      local m = flat[j]
      local e = answered[m]
      if e then
        local rec = cjson.decode(flat[j + 1])
        rec.a = (rec.a or 0) + 1
        redis.call('HSET', mk, m, cjson.encode(rec))
        if e.points > 0 then
          for q = 1, P do addPoints(KEYS[base + (g - 1) * (1 + P) + 1 + q], m, e.points) end
        end
      else
        everyone = false
      end
    end
    if #flat > 0 then
      if everyone then grp.c = (grp.c or 0) + 1 else grp.c = 0 end
      if grp.c > (grp.b or 0) then grp.b = grp.c end
      redis.call('HSET', KEYS[7], name, cjson.encode(grp))
    end
    for q = 1, P do expireAt(KEYS[base + (g - 1) * (1 + P) + 1 + q], groupBoards[q]) end
  end
end
return 1
