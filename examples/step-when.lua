-- Single-step 20 instructions, only on the call whose first argument is 7.
-- Stepping starts from a debug-register trap: the breakpoint needs hw.
--   echo 'break mdb_test_target:mdb_tt_target hw lua=maybe_step' > /sys/kernel/debug/mdb/control
--   echo 'process 10' > /sys/kernel/debug/mdb_test_target/run
function maybe_step(ctx)
  if ctx.arg(1) == 7 then
    local ok, why = mdb.step(20)
    if not ok then print("cannot step: " .. why) end
  end
  return false
end
