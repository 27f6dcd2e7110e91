--[[
  Creates a round once. With a slot, at most one round exists per channel and slot.
  KEYS[1] round hash       KEYS[2] slot claim (string)
  KEYS[3] open rounds zset KEYS[4] round locator (string)
  ARGV[1] round id   ARGV[2] '1' when the round has a slot   ARGV[3] postedAt (ms)
  ARGV[4] round JSON (immutable part)   ARGV[5] locator JSON   ARGV[6] status
  Returns { created (0|1), round id }
]]
if ARGV[2] == '1' then
  local existing = redis.call('GET', KEYS[2])
  if existing then return { 0, existing } end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return { 0, ARGV[1] } end
if ARGV[2] == '1' then redis.call('SET', KEYS[2], ARGV[1]) end
redis.call('HSET', KEYS[1], 'data', ARGV[4], 'status', ARGV[6], 'threadRef', '', 'revealedAt', '')
if ARGV[6] == 'open' then redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1]) end
redis.call('SET', KEYS[4], ARGV[5])
return { 1, ARGV[1] }
