--[[
  Records one member's answer to a round the caller already knows (private answers, the console).
  KEYS[1] round hash   KEYS[2] answers hash (member id -> JSON)
  KEYS[3] delivery ids set   KEYS[4] names hash (member id -> display name)
  ARGV[1] member id   ARGV[2] answer JSON   ARGV[3] delivery id
  ARGV[4] receivedAt (ms; when this version was written: an edit's time for an edit)
  ARGV[5] member name   ARGV[6] delivery set TTL (s)
  ARGV[7] messageAt (ms; when the carrying message was first sent)
  Returns 'recorded' | 'replaced' | 'duplicate' | 'stale' | 'closed' | 'unknown-round'
]]
--#include answers
return recordAnswer(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
