--[[
  Takes a vote back (the reaction was removed) while the round is still open.
  KEYS[1] round hash   KEYS[2] votes hash (voter -> target)
  ARGV[1] voter id   ARGV[2] target member id
  Returns 1 when a vote was removed, 0 otherwise.
]]
if redis.call('HGET', KEYS[1], 'status') ~= 'open' then return 0 end
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
return redis.call('HDEL', KEYS[2], ARGV[1])
