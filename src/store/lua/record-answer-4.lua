--[[
  Records one member's answer to an open round, atomically and idempotently.
  KEYS[1] round hash   KEYS[2] answers hash (member id -> JSON)
  KEYS[3] delivery ids set   KEYS[4] names hash (member id -> display name)
  ARGV[1] member id   ARGV[2] answer JSON   ARGV[3] delivery id
  ARGV[4] receivedAt (ms; when this version was written: an edit's time for an edit)
  ARGV[5] member name   ARGV[6] delivery set TTL (s)
  ARGV[7] messageAt (ms; when the carrying message was first sent)
  A member's answer is their newest message, in its latest version: a version of an older
  message (an edit of it, a redelivery) never replaces a newer message's answer.
  Returns 'recorded' | 'replaced' | 'duplicate' | 'stale' | 'closed' | 'unknown-round'
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 'unknown-round' end
if redis.call('SISMEMBER', KEYS[3], ARGV[3]) == 1 then return 'duplicate' end
if redis.call('HGET', KEYS[1], 'status') ~= 'open' then return 'closed' end
redis.call('SADD', KEYS[3], ARGV[3])
redis.call('EXPIRE', KEYS[3], ARGV[6])
local prev = redis.call('HGET', KEYS[2], ARGV[1])
if prev then
  local p = cjson.decode(prev)
  local pm = tonumber(p.messageAt or p.receivedAt)
  local nm = tonumber(ARGV[7])
  if pm > nm then return 'stale' end
  if pm == nm and tonumber(p.receivedAt) > tonumber(ARGV[4]) then return 'stale' end
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[5])
if prev then return 'replaced' end
return 'recorded'
