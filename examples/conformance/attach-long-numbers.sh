# attach: kstrtoint reads any number of leading zeros (octal), long hex, and nothing past an int
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a /H1/b
echo 0000000000000000000000000000000000000000000000000000000000001 > /H1/a/tasks
echo 0x000000000000000000000000000000000000000000000000001 > /H1/b/tasks
echo 99999999999 > /H1/a/tasks
echo 2147483648 > /H1/a/tasks
echo -2147483648 > /H1/a/tasks
echo 0x > /H1/a/tasks
echo 0x1g > /H1/a/tasks
echo +-1 > /H1/a/tasks
echo -+1 > /H1/a/tasks
echo 08 > /H1/a/tasks
cat /H1/b/tasks
