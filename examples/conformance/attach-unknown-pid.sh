# attach: an unknown pid is ESRCH, pid_max and above too
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo 30000 > /H1/a/tasks
echo 99999999 > /H1/a/tasks
