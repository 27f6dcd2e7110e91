--[[
  One recorded transition of a round, only by the holder of its lease (compare-and-set on state).
  Variable key count: KEYS[1] round hash, KEYS[2] lease key, KEYS[3..] strings to SET.
  ARGV[1] holder   ARGV[2] allowed current states, comma-separated   ARGV[3] new state ('' keeps it)
  ARGV[4] number of field/value pairs, then the pairs, then one value per extra key.
  Returns 1 ok | 0 wrong state | -1 lease not held | -2 no such round
]]
-- (A round always has a state: no state field means no round.)
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -2 end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
local allowed = false
for s in string.gmatch(ARGV[2], '[^,]+') do
  if s == state then allowed = true end
end
if not allowed then return 0 end
-- Every field (and the new state) in one HSET.
local pairs = {}
local i = 5
for _ = 1, tonumber(ARGV[4]) do
  pairs[#pairs + 1] = ARGV[i]
  pairs[#pairs + 1] = ARGV[i + 1]
  i = i + 2
end
if ARGV[3] ~= '' then
  pairs[#pairs + 1] = 'state'
  pairs[#pairs + 1] = ARGV[3]
end
if #pairs > 0 then redis.call('HSET', KEYS[1], unpack(pairs)) end
for k = 3, #KEYS do
  redis.call('SET', KEYS[k], ARGV[i])
  i = i + 1
end
return 1
