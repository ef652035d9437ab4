# attach: tabs, 0X, 0b, pid_max, int limits in hex and octal, decimals and exponents
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo '1	' > /H1/a/tasks
echo 1, > /H1/a/tasks
echo 0X1 > /H1/a/tasks
echo 0b1 > /H1/a/tasks
echo 2147483647 > /H1/a/tasks
echo 4194304 > /H1/a/tasks
echo 4194303 > /H1/a/tasks
echo '+ 1' > /H1/a/tasks
echo 0x7fffffff > /H1/a/tasks
echo 0x80000000 > /H1/a/tasks
echo 017777777777 > /H1/a/tasks
echo 020000000000 > /H1/a/tasks
echo -2147483647 > /H1/a/tasks
echo 1 > /H1/a/cgroup.procs
echo 0001 > /H1/a/cgroup.procs
echo 1.0 > /H1/a/tasks
echo 1e0 > /H1/a/tasks
cat /H1/a/tasks
