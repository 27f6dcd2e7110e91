--[[
  Scores one slice of a round's entries, once: a retried reveal, or a second replica, changes
  nothing. A large round is scored in slices so that no single script blocks Redis for long; each
  slice is atomic and recorded, the round's number (streaks) is taken by the first slice. Study
  groups are scored per entry, through the member's own group set (each group counts its members
  who answered this round in the scored hash), and the final slice settles team streaks from those
  counts and the groups' sizes. Variable key count: the caller passes numkeys. All keys share the
  server's hash tag. Work grows with the slice's entries and the server's groups, never with a
  group's members or the channel's streaks (they are settled lazily, see lib/streaks.lua).

  KEYS[1] "scored" hash of the round (s<i> per slice done, seq, done)
  KEYS[2] names hash (member id -> display name)
  KEYS[3] channel streaks hash             KEYS[4] channel months sorted set (month -> first round)
  KEYS[5] channel counters hash            KEYS[6] server counters hash
  KEYS[7] server groups hash (name -> JSON)
  KEYS[8 .. 7+B]           board sorted sets                              (B = #boards)
  KEYS[8+B .. 7+B+N]       stats hash of each entry's member, entry order (N = #entries)
  then, per group (G = #groups, every slice of a scheduled round): its members hash, then its P board sorted sets

  ARGV[1] JSON payload:
    at          epoch seconds of the scoring (board tie-break)
    now         epoch seconds of the caller's clock now (expiries are durations from it)
    scheduled   true for a scheduled round: streaks, groups and round counters are updated too
    month       'yyyy-MM' of the round in the channel's zone (streak freezes are per month)
    slice       index of this slice; final: true for the last one
    entries     [{ id, name, lc, points, answered, coverage, mg }]  coverage is an integer 0..1000; lc the lowercase
                name; mg the member's group set key (scheduled rounds; same hash tag)
    statsTtl    seconds a member's stats hash is kept after this answer (0: forever)
    nameIndex   key of the names' lowercase index (lowercase name -> member id; same hash tag)
    boards      [expireAt epoch s, or 0 to keep forever], one per board key: applied as a TTL
                relative to `now` (the injected clock), never compared with Redis's clock
    topics      [topic tag] of the question
    groups      [group name], one per group key block
    groupBoards [expireAt or 0], one per board of a group block

  Board score = points * 2^32 + (2^32 - 1 - at): more points first, then whoever got there first.
  Streak record: see lib/streaks.lua. Group member record { n, t, j server rounds when joining, a answered }.
  Group record { by, at, c team streak, b best team streak }: c grows when every member answered.

  Returns 1 when applied, 0 when this slice (or the whole round, scored before slices) was done.
]]
--#include streaks
local kind = redis.call('TYPE', KEYS[1])
kind = type(kind) == 'table' and kind.ok or kind
if kind == 'string' then return 0 end

local p = cjson.decode(ARGV[1])
local at = tonumber(p.at)
local now = tonumber(p.now) or at
local entries, boards, topics = p.entries, p.boards, p.topics
local groups, groupBoards = p.groups or {}, p.groupBoards
local B, N, G, P = #boards, #entries, #groups, #groupBoards
local sliceField = 's' .. tostring(p.slice)
if not at or #KEYS ~= 7 + B + N + G * (1 + P) then
  return redis.error_reply('apply-scores: ' .. #KEYS .. ' keys do not match the payload')
end
if redis.call('HEXISTS', KEYS[1], sliceField) == 1 then return 0 end
-- Validate everything before the first write: Redis does not roll back a failed script.
for i = 1, N do
  local e = entries[i]
  e.points = tonumber(e.points)
  e.coverage = math.floor(tonumber(e.coverage) or 0)
  if type(e.id) ~= 'string' or type(e.name) ~= 'string' or not e.points then
    return redis.error_reply('apply-scores: bad entry ' .. i)
  end
end

redis.call('HSET', KEYS[1], sliceField, at)

local TWO32 = 4294967296
local function addPoints(key, member, pts)
  local cur = redis.call('ZSCORE', key, member)
  local old = 0
  if cur then old = math.floor(tonumber(cur) / TWO32) end
  redis.call('ZADD', key, string.format('%.0f', (old + pts) * TWO32 + (TWO32 - 1 - at)), member)
end
-- Relative to the caller's clock: Redis's own clock may disagree with it (a test's fake clock, a
-- skewed host). A board whose end has passed by the caller's clock goes soon, not at once.
local function expireAt(key, exp)
  exp = tonumber(exp)
  if exp and exp > 0 then redis.call('EXPIRE', key, math.max(1, exp - now), 'NX') end
end

-- Boards, names and member stats.
for i = 1, N do
  local e = entries[i]
  redis.call('HSET', KEYS[2], e.id, e.name)
  -- The names' lowercase index (same hash tag as the names hash): a lookup by name is one HGET.
  if e.lc and e.lc ~= '' then redis.call('HSET', p.nameIndex, e.lc, e.id) end
  if e.points > 0 then
    for b = 1, B do addPoints(KEYS[7 + b], e.id, e.points) end
  end
  if e.answered then
    local sk = KEYS[7 + B + i]
    redis.call('HINCRBY', sk, p.scheduled and 'answered' or 'practice', 1)
    -- Kept for the retention period after the member's last scored answer (a duration: never
    -- compared with Redis's clock).
    if tonumber(p.statsTtl or 0) > 0 then redis.call('EXPIRE', sk, tonumber(p.statsTtl)) end
    redis.call('HINCRBY', sk, 'cov', e.coverage)
    for _, t in ipairs(topics) do
      redis.call('HINCRBY', sk, 'n:' .. t, 1)
      redis.call('HINCRBY', sk, 'c:' .. t, e.coverage)
    end
  end
end
for b = 1, B do expireAt(KEYS[7 + b], boards[b]) end

if p.scheduled then
  -- Rounds are numbered in the order they are scored, so only scheduled rounds count and a
  -- weekday schedule has no weekend gap. The first slice takes the number.
  local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
  if not seq then
    seq = redis.call('HINCRBY', KEYS[5], 'rounds', 1)
    redis.call('HINCRBY', KEYS[6], 'rounds', 1)
    redis.call('HSET', KEYS[1], 'seq', seq)
    redis.call('HSETNX', KEYS[5], 'lazyFrom', seq)
    redis.call('ZADD', KEYS[4], 'NX', seq, p.month)
  end
  local lazyFrom = tonumber(redis.call('HGET', KEYS[5], 'lazyFrom'))
  local months = loadMonths(KEYS[4])
  for i = 1, N do
    local e = entries[i]
    if e.answered then
      local raw = redis.call('HGET', KEYS[3], e.id)
      local s = raw and cjson.decode(raw) or { c = 0, b = 0, f = '', l = 0 }
      if tonumber(s.l) ~= seq then -- (a member listed twice counts once)
        s = settle(s, months, seq - 1, lazyFrom)
        if s.c > 0 then s.c = s.c + 1 else s.c = 1 end
        if s.c > s.b then s.b = s.c end
        s.l = seq
        s.u = seq
        redis.call('HSET', KEYS[3], e.id, cjson.encode(s))
      end
    end
  end
end

-- Study groups, per entry: the member's record counts the round, the group's boards get the
-- points, and the group's count of members who answered this round grows by one.
local base = 7 + B + N
local groupAt = {}
for g = 1, G do groupAt[groups[g]] = g end
if p.scheduled and G > 0 then
  for i = 1, N do
    local e = entries[i]
    if e.answered and type(e.mg) == 'string' and e.mg ~= '' then
      for _, name in ipairs(redis.call('SMEMBERS', e.mg)) do
        local g = groupAt[name]
        if g then
          local mk = KEYS[base + (g - 1) * (1 + P) + 1]
          local raw = redis.call('HGET', mk, e.id)
          if raw then
            local rec = cjson.decode(raw)
            rec.a = (rec.a or 0) + 1
            redis.call('HSET', mk, e.id, cjson.encode(rec))
            if e.points > 0 then
              for q = 1, P do addPoints(KEYS[base + (g - 1) * (1 + P) + 1 + q], e.id, e.points) end
            end
            redis.call('HINCRBY', KEYS[1], 'g:' .. name, 1)
          end
        end
      end
    end
  end
end

if not p.final then return 1 end
redis.call('HSET', KEYS[1], 'done', at)

-- Team streaks: a group whose every member answered this round (its count equals its size).
for g = 1, G do
  local name = groups[g]
  local mk = KEYS[base + (g - 1) * (1 + P) + 1]
  local raw = redis.call('HGET', KEYS[7], name)
  if raw then
    local grp = cjson.decode(raw)
    local size = redis.call('HLEN', mk)
    if size > 0 then
      local answered = tonumber(redis.call('HGET', KEYS[1], 'g:' .. name) or '0')
      if answered >= size then grp.c = (grp.c or 0) + 1 else grp.c = 0 end
      if grp.c > (grp.b or 0) then grp.b = grp.c end
      redis.call('HSET', KEYS[7], name, cjson.encode(grp))
    end
    for q = 1, P do expireAt(KEYS[base + (g - 1) * (1 + P) + 1 + q], groupBoards[q]) end
  end
end
return 1
