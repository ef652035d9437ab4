# A dying css that lingers under rmdir=offline: a page-cache page outlives its task and its group
# (how real dying memory cgroups pile up). Run with
#   ./cgledger --in-memory sh examples/leak-offline.sh
init --subsys memory --rmdir offline
mount -t cgroup -o memory none /mem
mkdir /mem/job
fork 1 --pid 50
echo 50 > /mem/job/tasks
charge 50 memory page:4711 4096 --cache
exit 50
# the job is over: the group is empty, so rmdir succeeds, but page:4711 still pins memory1
rmdir /mem/job
tree /mem
cat /mem/memory.usage
# a new job of the same name gets a new css; the old one is still dying beside it
mkdir /mem/job
tree /mem
# reclaim drops the page: the dying css is released at last
uncharge page:4711
tree /mem
cat /mem/memory.usage
