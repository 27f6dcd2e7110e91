--[[
  Records a peer vote: one per voter per round, for another member's answer, before the reveal.
  KEYS[1] round hash   KEYS[2] answers hash (member id -> JSON)   KEYS[3] votes hash (voter -> target)
  ARGV[1] voter id   ARGV[2] target member id   ARGV[3] votes hash TTL (s)
  The voter's field is the dedupe key: the same reaction delivered twice is a 'duplicate'.
  Returns 'recorded' | 'duplicate' | 'already-voted' | 'self-vote' | 'no-answer' | 'closed' | 'unknown-round'
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 'unknown-round' end
if ARGV[1] == ARGV[2] then return 'self-vote' end
local prev = redis.call('HGET', KEYS[3], ARGV[1])
if prev == ARGV[2] then return 'duplicate' end
if redis.call('HGET', KEYS[1], 'status') ~= 'open' then return 'closed' end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 0 then return 'no-answer' end
if prev then return 'already-voted' end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[3])
return 'recorded'
