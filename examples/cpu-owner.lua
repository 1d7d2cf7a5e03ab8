-- Who runs on this CPU when a function is hit: sched:sched_switch keeps,
-- per CPU, the task it switched in; a breakpoint on FN counts hits by it
-- (in interrupt context that is the interrupted task).
--   cat cpu-owner.lua > /sys/kernel/debug/mdb/script
--   echo 'break tp:sched:sched_switch lua=switch count' > /sys/kernel/debug/mdb/control
--   echo 'break FN lua=who count' > /sys/kernel/debug/mdb/control
--   ... then: echo 'call owners' > control; cat log
running, hits = {}, {}

function switch(ctx)
  -- sched_switch(preempt, prev, next, ...): ctx.args.next where the
  -- kernel's BTF names the arguments (6.1 and later); ctx.arg(3) everywhere
  local nxt = mdb.cast(ctx.arg(3), 'struct task_struct *')
  running[ctx.cpu] = nxt.comm .. '/' .. nxt.pid
  return false
end

function who(ctx)
  local w = running[ctx.cpu] or '(before the first switch)'
  hits[w] = (hits[w] or 0) + 1
  return false
end

function owners()
  for w, n in pairs(hits) do print(string.format('owner %s %d', w, n)) end
end
