--[[
  Applies one round's points to every board once. Variable key count: the caller passes numkeys.
  KEYS[1] "scored" flag of the round   KEYS[2] names hash   KEYS[3..] board sorted sets
  ARGV[1] time of scoring (epoch s)    ARGV[2] n = number of members
  ARGV[3 .. 2+3n] member id, display name, points (repeated n times)
  ARGV[3+3n ..] per board: EXPIREAT epoch seconds, or 0 to keep forever
  A board score is points * 2^32 + (2^32 - 1 - epoch seconds when the points were reached):
  higher points first, and on equal points whoever got there first. Exact below 2^53.
  Returns 1 when applied, 0 when this round was already scored.
]]
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
local at = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local boards = #KEYS - 2
local idx = 3
for _ = 1, n do
  local member, name, pts = ARGV[idx], ARGV[idx + 1], tonumber(ARGV[idx + 2])
  idx = idx + 3
  redis.call('HSET', KEYS[2], member, name)
  for b = 1, boards do
    local key = KEYS[b + 2]
    local cur = redis.call('ZSCORE', key, member)
    local old = 0
    if cur then old = math.floor(tonumber(cur) / 4294967296) end
    local score = (old + pts) * 4294967296 + (4294967295 - at)
    redis.call('ZADD', key, string.format('%.0f', score), member)
  end
end
for b = 1, boards do
  local exp = tonumber(ARGV[idx + b - 1])
  if exp and exp > 0 then redis.call('EXPIREAT', KEYS[b + 2], exp, 'NX') end
end
return 1
