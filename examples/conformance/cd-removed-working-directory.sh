# cd: in a removed working directory nothing is found or made, . is still a directory, .. leads to the parent
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a /H1/a/b
cd /H1/a
rmdir b
rmdir ../a
mkdir x
mkdir .
rmdir .
echo 1 > tasks
cat tasks
cat notify_on_release
cat .
ls
ls .
ls ..
mkdir /H1/a
ls
echo 1 > tasks
cd .
ls
cd ..
echo 1 > a/tasks
cat a/tasks
cd /
rmdir /H1/a
