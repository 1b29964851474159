// Command idle is the benchmark's failing subject: it never listens on a
// port and ignores SIGTERM, so every dynamic check of imagelab fails and
// the checker's run lasts as long as its timeouts allow.
package main

import (
	"os/signal"
	"syscall"
	"time"
)

func main() {
	signal.Ignore(syscall.SIGTERM, syscall.SIGINT)
	// A bare select{} would end the program with Go's deadlock error,
	// because no other goroutine runs.
	for {
		time.Sleep(time.Hour)
	}
}
