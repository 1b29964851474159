package check

import (
	"context"
	"fmt"
	"sort"

	"github.com/docker/docker/api/types/image"
	"github.com/imagelab/imagelab/internal/i18n"
)

func checkSize(_ context.Context, t *Target, r *Result) {
	size, limit := t.Image.Inspect.Size, t.Policy.MaxSize
	r.Add("size_bytes", "%d", size)
	r.Add("size", "%s", megabytes(size))
	r.Add("limit", "%s", megabytes(limit))
	for i, l := range largestLayers(t.Image.History, 3) {
		r.Add(fmt.Sprintf("layer_%d", i+1), "%s  %s", megabytes(l.Size), createdBy(l))
	}
	if size > limit {
		r.set(Fail, i18n.T("the image is %s, over the %s limit", megabytes(size), megabytes(limit)),
			i18n.T("build in a separate build stage and copy only the result into a minimal final stage (scratch, distroless or slim); keep compilers, package caches (apt-get clean, rm -rf /var/lib/apt/lists/*) and build tools out of it"))
		return
	}
	r.set(Pass, i18n.T("the image is %s, within the %s limit", megabytes(size), megabytes(limit)), i18n.Text{})
}

// megabytes renders bytes in decimal megabytes, as `docker images` does.
func megabytes(b int64) string {
	return fmt.Sprintf("%.1f MB", float64(b)/1e6)
}

func largestLayers(h []image.HistoryResponseItem, n int) []image.HistoryResponseItem {
	var layers []image.HistoryResponseItem
	for _, e := range h {
		if e.Size > 0 {
			layers = append(layers, e)
		}
	}
	sort.SliceStable(layers, func(i, j int) bool { return layers[i].Size > layers[j].Size })
	if len(layers) > n {
		layers = layers[:n]
	}
	return layers
}

// createdBy renders the instruction of a history entry.
func createdBy(e image.HistoryResponseItem) string {
	if e.CreatedBy == "" {
		if e.Comment != "" {
			return "(" + e.Comment + ")"
		}
		return "(base layer)"
	}
	return shorten(e.CreatedBy, 100)
}
