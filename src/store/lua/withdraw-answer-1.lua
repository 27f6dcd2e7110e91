--[[
  A member deleted the message carrying their answer: the answer is withdrawn while the round is
  open, if that message still carries the member's current answer (a newer message replaced it:
  nothing changes). After the reveal a deletion changes nothing.
  KEYS[1] answer-message key of the deleted message (-> "<round id> <member id>")
  ARGV[1] server key prefix "<ns>:{<platform>:<server>}" (the round's keys share its hash tag)
  ARGV[2] the deleted message's ref
  Returns { outcome, round id or '', member id or '' }; outcome is
  'withdrawn' | 'closed' | 'not-current' | 'no-answer'.
]]
local v = redis.call('GET', KEYS[1])
if not v then return { 'no-answer', '', '' } end
local roundId, member = string.match(v, '^(%S+) (%S+)$')
if not roundId then return { 'no-answer', '', '' } end
if redis.call('HGET', ARGV[1] .. ':round:' .. roundId, 'status') ~= 'open' then return { 'closed', roundId, member } end
local answersKey = ARGV[1] .. ':answers:' .. roundId
local current = redis.call('HGET', answersKey, member)
if not current then return { 'no-answer', roundId, member } end
local ref = cjson.decode(current).messageRef
if ref ~= ARGV[2] then return { 'not-current', roundId, member } end
redis.call('HDEL', answersKey, member)
redis.call('DEL', KEYS[1])
return { 'withdrawn', roundId, member }
