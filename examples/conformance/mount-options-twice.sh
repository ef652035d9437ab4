# mount: -o given twice is one option list, as mount(8) joins them
mount -t cgroup -o none -o name=h1 none /H1
mkdir /H1/a
mount -t cgroup -o name=h1 -o none none /H2
ls /H2
