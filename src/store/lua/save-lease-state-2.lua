--[[
  Saves what a lease's holder needs to hand its work over (a Discord shard's gateway session),
  only while it still holds the lease: a holder that lost it (paused, partitioned) writes nothing.
  KEYS[1] lease key   KEYS[2] state key   ARGV[1] holder   ARGV[2] state ('' deletes it)   ARGV[3] ttl (ms)
  Returns 1 when saved, 0 when the lease is not this holder's.
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2])
else
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
end
return 1
