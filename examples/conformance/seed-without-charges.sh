# the seed (DESIGN.md section 3) without its charges, on two named hierarchies
mount -t container -o none,name=h1 none /H1
mount -t container -o none,name=h2 none /H2
mkdir /H1/foo
mkdir /H2/bar
echo 1 > /H1/foo/tasks
echo 1 > /H2/bar/tasks
echo 1 > /H1/tasks
echo 1 > /H2/tasks
rmdir /H1/foo
rmdir /H2/bar
