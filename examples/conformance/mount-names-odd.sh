# mount: names made only of . - _ or digits are valid; names differ by case
mount -t cgroup -o none,name=. none /H1
mount -t cgroup -o none,name=.. none /H2
mount -t cgroup -o none,name=- none /H3
mount -t cgroup -o none,name=0 none /H4
mount -t cgroup -o none,name=h1 none /H5
mount -t cgroup -o none,name=H1 none /H6
mkdir /H5/a
ls /H6
