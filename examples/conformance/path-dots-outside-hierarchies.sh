# . and .. under a directory outside every hierarchy: the walk to it fails first (ENOENT), as under a missing group
mount -t cgroup -o none,name=h1 none /H1
rmdir /H2/.
rmdir /H2/a/..
mkdir /H2/a/.
mkdir /H2/..
umount /H1
rmdir /H1/.
mkdir /H1/a/.
