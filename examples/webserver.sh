# A web server and its workers across a cpu and a memory hierarchy. Run with
#   ./cgledger --in-memory sh examples/webserver.sh
# (on a fresh ledger: the defaults A,B,cpu,memory,beancounter, pin=css, rmdir=strict)
mount -t cgroup -o cpu cpu /sys/fs/cgroup/cpu
mount -t cgroup -o memory memory /sys/fs/cgroup/memory
mkdir -p /sys/fs/cgroup/cpu/web/workers /sys/fs/cgroup/memory/web/workers
echo 300 > /sys/fs/cgroup/memory/web/memory.limit
echo 200 > /sys/fs/cgroup/memory/web/workers/memory.limit
# the master (pid 100) starts in web, its workers fork from it and move to workers
fork 1 --pid 100
echo 100 > /sys/fs/cgroup/cpu/web/tasks
echo 100 > /sys/fs/cgroup/memory/web/tasks
charge 100 memory conf:nginx 50
fork 100 --pid 101
fork 100 --pid 102
cd /sys/fs/cgroup/memory/web/workers
echo 101 > tasks
echo 102 > tasks
echo 101 > /sys/fs/cgroup/cpu/web/workers/tasks
echo 102 > /sys/fs/cgroup/cpu/web/workers/tasks
cat tasks
# each worker maps a cache; the third would pass the workers' limit: ENOSPC
charge 101 memory cache:101 100
charge 102 memory cache:102 100
charge 102 memory cache:extra 1
cat memory.usage ../memory.usage
ps
tree
csssets
# a worker dies: its cache goes with its last holder; the inherited config stays (the master holds it)
exit 101
stat /sys/fs/cgroup/memory/web/workers
stat /sys/fs/cgroup/memory/web
