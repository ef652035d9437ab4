# cd: .. from a removed working directory climbs into the removed parent, not into a group made at its path since (which cd by its path reaches)
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a /H1/a/b
cd /H1/a/b
rmdir /H1/a/b
rmdir /H1/a
mkdir /H1/a /H1/a/new
cd ..
ls
mkdir x
echo 1 > tasks
cat new/tasks
ls ./.
cd ..
ls
cd a
ls
mkdir /H1/a/b
cd b
rmdir /H1/a/b
mkdir /H1/a/b
cd /H1/a
ls
cd b/..
cd /
rmdir /H1/a/new /H1/a/b /H1/a
