# attach: whitespace, +, hex and octal are read as kstrtoint does
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a /H1/b /H1/c
echo '  1  ' > /H1/a/tasks
echo +1 > /H1/b/tasks
echo 0x1 > /H1/c/tasks
echo 01 > /H1/a/tasks
echo -n 1 > /H1/b/tasks
cat /H1/b/tasks
