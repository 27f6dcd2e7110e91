--[[
  Takes or renews a round's lease. The holder is identified; only its expiry lets another take it.
  KEYS[1] lease key   ARGV[1] holder   ARGV[2] ttl (ms)
  Returns { 0, holder } when this holder has the lease, else { ms until it expires, current holder }.
]]
local cur = redis.call('GET', KEYS[1])
if not cur or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return { 0, ARGV[1] }
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then ttl = 1 end
return { ttl, cur }
