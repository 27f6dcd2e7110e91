--[[
  An admin sets a member's points for a round, once: boards move by the difference between the
  new points and the points the round last gave the member. Variable key count (numkeys first).
  KEYS[1] round hash   KEYS[2] overrides hash (member id -> points)   KEYS[3] "scored" flag
  KEYS[4] names hash   KEYS[5 ..] the round's board sorted sets
  ARGV[1] member id   ARGV[2] new points   ARGV[3] points the grader gave (before any override)
  ARGV[4] epoch seconds (tie-break for a member new on a board)   ARGV[5] member name
  ARGV[6..] board expiry (epoch s, 0 = keep), one per board key; applied relative to ARGV[4],
            the caller's clock, never compared with Redis's own
  Returns {outcome, previous points}: outcome 'pending' (not scored yet: the reveal will use it),
  'applied', 'unchanged', 'busy' (being scored right now: try again) or 'unknown-round'.
  Board score = points * 2^32 + (2^32 - 1 - at), as apply-scores writes it.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return { 'unknown-round', 0 } end
local member, new, base = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local prev = tonumber(redis.call('HGET', KEYS[2], member) or base)
-- The overrides live exactly as long as the round hash (expire-round sets both at the reveal).
local function setOverride()
  redis.call('HSET', KEYS[2], member, new)
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
end
-- Scored means every slice was applied ('done'; a plain string from before slices).
local kind = redis.call('TYPE', KEYS[3])
kind = type(kind) == 'table' and kind.ok or kind
if kind ~= 'string' and redis.call('HEXISTS', KEYS[3], 'done') == 0 then
  if redis.call('HGET', KEYS[1], 'state') == 'closing' then return { 'busy', prev } end
  setOverride()
  return { 'pending', prev }
end
if prev == new then return { 'unchanged', prev } end
setOverride()
redis.call('HSET', KEYS[4], member, ARGV[5])
local TWO32 = 4294967296
local at = tonumber(ARGV[4])
local delta = new - prev
for i = 5, #KEYS do
  local cur = redis.call('ZSCORE', KEYS[i], member)
  if cur then
    local c = tonumber(cur)
    local pts = math.floor(c / TWO32)
    local tie = c - pts * TWO32
    redis.call('ZADD', KEYS[i], string.format('%.0f', math.max(0, pts + delta) * TWO32 + tie), member)
  elseif delta > 0 then
    redis.call('ZADD', KEYS[i], string.format('%.0f', delta * TWO32 + (TWO32 - 1 - at)), member)
    local exp = tonumber(ARGV[6 + i - 5])
    if exp and exp > 0 then redis.call('EXPIRE', KEYS[i], math.max(1, exp - at)) end
  end
end
return { 'applied', prev }
