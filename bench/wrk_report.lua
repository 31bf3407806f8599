-- wrk script for bench/load.py: sends the session cookie, optionally waits a "think time" between a
-- connection's requests (a user reading the page), counts non-200 answers and prints one JSON line.
-- Environment: ZI_COOKIE ("sessionid=..."), ZI_THINK_MIN_MS and ZI_THINK_MAX_MS (0: no think time).

local cookie = os.getenv("ZI_COOKIE") or ""
local think_min = tonumber(os.getenv("ZI_THINK_MIN_MS") or "0")
local think_max = tonumber(os.getenv("ZI_THINK_MAX_MS") or "0")

wrk.headers["Accept-Language"] = "id"
if cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
  math.randomseed(os.time() * 1000 + id)
end

if think_max > 0 then
  function delay()
    return math.random(think_min, think_max)
  end
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non200") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'ZIJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "non200": %d, "p50": %d, "p90": %d, "p95": %d, "p99": %d, ' ..
    '"mean": %.1f, "max": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, bad,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
