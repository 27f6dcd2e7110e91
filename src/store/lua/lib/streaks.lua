-- Streaks, settled lazily (included by the scripts that read or score streaks).
--
-- A record { c current, b best, f month of the last freeze, l round last answered, u round up to
-- which it is settled } only changes when its member answers or when it is read: the rounds the
-- member missed since are applied then, month by month, with the same rule as ever — in each
-- calendar month the first missed round uses the month's freeze (the streak survives), any other
-- miss breaks it. Scoring a round therefore touches only the members who answered it.
--
-- `months` is the channel's sorted set month -> first round number of that month (rounds are
-- numbered in the order they are scored); `lazyFrom` is the first round scored this way: records
-- written before it were already settled up to their last round.

local function loadMonths(key)
  local flat = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  local out = {}
  for i = 1, #flat, 2 do out[#out + 1] = { m = flat[i], s = tonumber(flat[i + 1]) } end
  return out
end

-- The month a round belongs to (nil before the first recorded month).
local function monthOfRound(months, r)
  local found = nil
  for i = 1, #months do
    if months[i].s <= r then found = months[i].m else break end
  end
  return found
end

-- Applies the misses of rounds (from, to] to record s (c > 0 only). Returns s.
local function settle(s, months, to, lazyFrom)
  s.c = tonumber(s.c) or 0
  s.b = tonumber(s.b) or 0
  s.l = tonumber(s.l) or 0
  local from = tonumber(s.u)
  if not from then
    -- A record from before lazy settling was settled by the old eager walk up to lazyFrom - 1
    -- (or up to now, when no round was scored the lazy way yet).
    from = math.max(s.l, lazyFrom and (lazyFrom - 1) or to)
  end
  if from < s.l then from = s.l end
  if s.c > 0 and to > from then
    local r = from + 1
    while r <= to and s.c > 0 do
      local m = monthOfRound(months, r) or ''
      -- The rounds of month m in (r .. to]: up to the next month's first round.
      local last = to
      for i = 1, #months do
        if months[i].s > r then
          if months[i].s - 1 < last then last = months[i].s - 1 end
          break
        end
      end
      local missed = last - r + 1
      if s.f == m then
        s.c = 0
      elseif missed == 1 then
        s.f = m
      else
        s.f = m
        s.c = 0
      end
      r = last + 1
    end
  end
  if to > from then s.u = to else s.u = from end
  return s
end
