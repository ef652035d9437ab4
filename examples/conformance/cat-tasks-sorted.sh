# cat tasks: sorted ascending whatever the order of attaching
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
fork 1 --pid 30
fork 1 --pid 20
fork 1 --pid 10
echo 30 > /H1/a/tasks
echo 10 > /H1/a/tasks
echo 20 > /H1/a/tasks
echo 1 > /H1/a/tasks
cat /H1/a/tasks
cat /H1/a/cgroup.procs
echo 10 > /H1/tasks
cat /H1/a/tasks
