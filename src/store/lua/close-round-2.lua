--[[
  Closes a round to answers. Only the first call changes anything.
  KEYS[1] round hash   KEYS[2] open rounds zset
  ARGV[1] round id     ARGV[2] revealedAt (ms)
  Returns 1 when this call closed the round, 0 otherwise.
]]
if redis.call('HGET', KEYS[1], 'status') ~= 'open' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'revealed', 'revealedAt', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
