# mount: by name, a detached hierarchy with other flags is the same hierarchy (flags only warn)
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
umount /H1
mount -t cgroup -o none,name=h1,xattr none /H2
ls /H2
mount -t cgroup -o name=h1,noprefix none /H3
ls /H3/a
mount -t cgroup -o none,name=h1,clone_children none /H4
cat /H4/cgroup.clone_children
