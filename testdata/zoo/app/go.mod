module zooapp

go 1.26
