--[[
  Creates a round once, in state 'created', with a snapshot of its question.
  KEYS[1] round hash   KEYS[2] slot claim (string; a non-slot key when the round has no slot)
  KEYS[3] open rounds zset   KEYS[4] open practice rounds zset   KEYS[5] local date -> round id hash
  ARGV[1] round id   ARGV[2] '1' when the round has a slot   ARGV[3] postedAt (ms)
  ARGV[4] round JSON (immutable part)   ARGV[5] question JSON   ARGV[6] mode
  ARGV[7] '1': refuse while the channel has an open scheduled round
  ARGV[8] practice limit (0 = none)   ARGV[9] local date
  Returns { code, id }: 1 created | 0 exists (the existing id) | -1 scheduled round open (its id)
  | -2 practice limit reached (the newest open practice round's id)
]]
if ARGV[2] == '1' then
  local existing = redis.call('GET', KEYS[2])
  if existing then return { 0, existing } end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return { 0, ARGV[1] } end
if ARGV[7] == '1' then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
    if not redis.call('ZSCORE', KEYS[4], id) then return { -1, id } end
  end
end
local limit = tonumber(ARGV[8])
if ARGV[6] == 'practice' and limit > 0 and redis.call('ZCARD', KEYS[4]) >= limit then
  return { -2, redis.call('ZRANGE', KEYS[4], -1, -1)[1] }
end
if ARGV[2] == '1' then redis.call('SET', KEYS[2], ARGV[1]) end
redis.call('HSET', KEYS[1], 'data', ARGV[4], 'question', ARGV[5], 'state', 'created', 'status', 'open',
  'threadRef', '', 'messageRef', '', 'revealedAt', '', 'revealSent', 0, 'revealIntent', -1)
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
if ARGV[6] == 'practice' then
  redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
else
  redis.call('HSETNX', KEYS[5], ARGV[9], ARGV[1])
end
return { 1, ARGV[1] }
