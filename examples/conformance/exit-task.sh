# exit: the task leaves every group; pid 1 never exits; an unknown pid is ESRCH
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
fork 1 --pid 3
echo 3 > /H1/a/tasks
exit 3
cat /H1/a/tasks
exit 3
exit 1
