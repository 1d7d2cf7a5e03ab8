-- Watch a field of a struct whose address comes in an argument: the first
-- call of mdb_tt_obj_update(struct mdb_tt_obj *o, unsigned long v) arms a
-- watchpoint on o->counter (offset 16); every later write is counted.
--   echo 'break mdb_test_target:mdb_tt_obj_update lua=arm limit=1' > .../control
--   echo 'objw 1' > /sys/kernel/debug/mdb_test_target/run   (arms it)
--   echo 'objw 5' > /sys/kernel/debug/mdb_test_target/run   (5 writes)
--   echo 'call report_writes' > .../control
COUNTER_OFFSET = 16
writes = 0

function arm(ctx)
  local field = ctx.arg(1) + COUNTER_OFFSET
  print(string.format("watching %s", mdb.sym(field)))
  mdb.watch(field, 8, "w", "on_write")
end

function on_write(ctx)
  writes = writes + 1
  return false
end

function report_writes() print("field writes " .. writes) end
