-- Recording one member's answer to an open round, atomically and idempotently (included by
-- record-answer-4.lua and record-reply-3.lua).
--
-- A member's answer is their newest message, in its latest version: a version of an older
-- message (an edit of it, a redelivery) never replaces a newer message's answer.
-- Returns 'recorded' | 'replaced' | 'duplicate' | 'stale' | 'closed' | 'unknown-round'.
local function recordAnswer(roundKey, answersKey, deliveriesKey, namesKey, member, answerJson, deliveryId, receivedAt, name, deliveryTtl, messageAt)
  if redis.call('EXISTS', roundKey) == 0 then return 'unknown-round' end
  if redis.call('SISMEMBER', deliveriesKey, deliveryId) == 1 then return 'duplicate' end
  if redis.call('HGET', roundKey, 'status') ~= 'open' then return 'closed' end
  redis.call('SADD', deliveriesKey, deliveryId)
  redis.call('EXPIRE', deliveriesKey, deliveryTtl)
  local prev = redis.call('HGET', answersKey, member)
  if prev then
    local p = cjson.decode(prev)
    local pm = tonumber(p.messageAt or p.receivedAt)
    local nm = tonumber(messageAt)
    if pm > nm then return 'stale' end
    if pm == nm and tonumber(p.receivedAt) > tonumber(receivedAt) then return 'stale' end
  end
  redis.call('HSET', answersKey, member, answerJson)
  redis.call('HSET', namesKey, member, name)
  if prev then return 'replaced' end
  return 'recorded'
end
