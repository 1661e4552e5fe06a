-- Shared by every wrk run of the bench: collects the threads and prints one machine-readable line at the end
-- (wrk's own --latency table has no 95th percentile). bench/load.py parses the BENCH_JSON line.
threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function count(name)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get(name) or 0)
  end
  return total
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, "kept": %d, ' ..
    '"conflicts": %d, "pages": %d, "failed": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), e.connect, e.read,
    e.write, e.status, e.timeout, count("kept"), count("conflicts"), count("pages"), count("failed")))
end
