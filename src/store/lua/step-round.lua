--[[
  One recorded transition of a round, only by the holder of its lease (compare-and-set on state).
  Variable key count: KEYS[1] round hash, KEYS[2] lease key, KEYS[3..] strings to SET.
  ARGV[1] holder   ARGV[2] allowed current states, comma-separated   ARGV[3] new state ('' keeps it)
  ARGV[4] number of field/value pairs, then the pairs, then one value per extra key.
  Returns 1 ok | 0 wrong state | -1 lease not held | -2 no such round
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
local state = redis.call('HGET', KEYS[1], 'state')
local allowed = false
for s in string.gmatch(ARGV[2], '[^,]+') do
  if s == state then allowed = true end
end
if not allowed then return 0 end
local i = 5
for _ = 1, tonumber(ARGV[4]) do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'state', ARGV[3]) end
for k = 3, #KEYS do
  redis.call('SET', KEYS[k], ARGV[i])
  i = i + 1
end
return 1
