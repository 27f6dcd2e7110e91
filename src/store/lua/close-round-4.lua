--[[
  Closes an open round to answers and votes, by the holder of its lease: posted -> closing, or
  (a round that can never be posted) created/posting -> cancelled.
  KEYS[1] round hash   KEYS[2] open rounds zset   KEYS[3] open practice zset   KEYS[4] lease key
  ARGV[1] round id   ARGV[2] closed at (ms)   ARGV[3] holder   ARGV[4] 'closing' | 'cancelled'
  Returns 1 ok | 0 wrong state | -1 lease not held | -2 no such round
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
if redis.call('GET', KEYS[4]) ~= ARGV[3] then return -1 end
local state = redis.call('HGET', KEYS[1], 'state')
if ARGV[4] == 'closing' then
  if state ~= 'posted' then return 0 end
elseif state ~= 'created' and state ~= 'posting' then
  return 0
end
redis.call('HSET', KEYS[1], 'state', ARGV[4], 'status', 'revealed', 'revealedAt', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
