--[[
  A reply in a round's thread, in one round trip: finds the thread's round, records the answer,
  indexes the reply message (votes find the answer reacted to).
  KEYS[1] thread key (-> round id)   KEYS[2] names hash   KEYS[3] answer-message key of the reply
  ARGV[1] server key prefix "<ns>:{<platform>:<server>}" (the round's own keys are built from it:
          they share the hash tag, so the script stays within one cluster slot)
  ARGV[2] member id   ARGV[3] answer JSON starting with "roundId":"" (filled in here)   ARGV[4] delivery id
  ARGV[5] receivedAt (ms)   ARGV[6] member name   ARGV[7] delivery set TTL (s)
  ARGV[8] messageAt (ms)   ARGV[9] answer-message TTL (ms), 0 = no message to index
  Returns { outcome, round id or '' }.
]]
--#include answers
local roundId = redis.call('GET', KEYS[1])
if not roundId then return { 'unknown-round', '', {} } end
local roundKey = ARGV[1] .. ':round:' .. roundId
-- The JSON starts with "roundId":"" (the caller's): fill it in as text. Decoding and re-encoding
-- would round fractional millisecond times (Slack's) to cjson's 14 digits.
local prefix = '{"roundId":""'
if string.sub(ARGV[3], 1, #prefix) ~= prefix then return redis.error_reply('record-reply: answer JSON must start with "roundId":""') end
local answer = '{"roundId":' .. cjson.encode(roundId) .. string.sub(ARGV[3], #prefix + 1)
local outcome = recordAnswer(roundKey, ARGV[1] .. ':answers:' .. roundId, ARGV[1] .. ':deliveries:' .. roundId, KEYS[2], ARGV[2], answer, ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8])
if tonumber(ARGV[9]) > 0 and (outcome == 'recorded' or outcome == 'replaced' or outcome == 'stale') then
  redis.call('SET', KEYS[3], roundId .. ' ' .. ARGV[2], 'PX', ARGV[9])
end
return { outcome, roundId }
