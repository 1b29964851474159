package main

import (
	"context"
	"time"
)

// readyLimit bounds the wait for the first 200 on /health after a start.
const readyLimit = 30 * time.Second

// measureColdStarts starts runs containers of image one after the other
// and returns, for each, the time from the create request to the first 200
// on GET /health through the published port.
func measureColdStarts(ctx context.Context, d *Docker, image string, runs int) ([]time.Duration, error) {
	var times []time.Duration
	for range runs {
		begin := time.Now()
		svc, err := d.start(ctx, image)
		if err != nil {
			return times, err
		}
		ready, err := waitHealthy(ctx, svc, readyLimit)
		d.remove(svc.ID)
		if err != nil {
			return times, err
		}
		times = append(times, ready.Sub(begin))
	}
	return times, nil
}

// idleBeforeStop lets a fresh service settle before the idle stop, so
// that the stop does not overlap the end of its start-up.
const idleBeforeStop = 300 * time.Millisecond

// measureStops starts runs containers of image, waits until each is
// healthy and idle, and times `docker stop` on it.
func measureStops(ctx context.Context, d *Docker, image string, runs int) ([]StopRun, error) {
	var stops []StopRun
	for range runs {
		svc, err := d.start(ctx, image)
		if err != nil {
			return stops, err
		}
		if _, err := waitHealthy(ctx, svc, readyLimit); err != nil {
			d.remove(svc.ID)
			return stops, err
		}
		time.Sleep(idleBeforeStop)
		stop, err := d.stop(ctx, svc.ID)
		d.remove(svc.ID)
		if err != nil {
			return stops, err
		}
		stops = append(stops, stop)
	}
	return stops, nil
}

func stopTimes(stops []StopRun) []time.Duration {
	out := make([]time.Duration, len(stops))
	for i, s := range stops {
		out[i] = s.Took
	}
	return out
}

func exitTimes(stops []StopRun) []time.Duration {
	out := make([]time.Duration, len(stops))
	for i, s := range stops {
		out[i] = s.ExitedAfter
	}
	return out
}
