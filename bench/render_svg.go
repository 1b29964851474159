package main

import (
	"fmt"
	"html"
	"math"
	"strings"
	"time"
)

// The charts are horizontal bar charts on a log10 axis, written as plain
// SVG 1.1 with inline styles, so that they render on GitHub and in any
// browser without fonts or scripts from elsewhere.

// bar is one bar of a chart.
type bar struct {
	group string // subject name, printed once per group
	label string // series name, empty for single-series charts
	value float64
	text  string // value label printed after the bar
	color string
}

const (
	chartWidth  = 720
	labelWidth  = 190
	valueWidth  = 90
	barHeight   = 18
	barGap      = 4
	groupGap    = 14
	chartTop    = 44
	chartBottom = 34
)

func renderSizeChart(r *Results) string {
	var bars []bar
	for _, s := range r.Subjects {
		if s.ImageErr != nil {
			continue
		}
		mb := megabytes(s.Image.Size)
		bars = append(bars, bar{group: s.Subject.Name, value: mb, text: fmt.Sprintf("%.1f MB", mb), color: "#4c78a8"})
	}
	return renderBarChart("Image size (decimal MB, log scale)", "MB", bars, nil)
}

func renderLatencyChart(r *Results) string {
	var bars []bar
	for _, s := range r.Subjects {
		w, ok := medianWrk(s.Throughput)
		if !ok {
			continue
		}
		bars = append(bars,
			bar{group: s.Subject.Name, label: "p50", value: ms(w.P50), text: formatDuration(w.P50), color: "#4c78a8"},
			bar{group: s.Subject.Name, label: "p99", value: ms(w.P99), text: formatDuration(w.P99), color: "#f58518"})
	}
	legend := []bar{{label: "p50", color: "#4c78a8"}, {label: "p99", color: "#f58518"}}
	title := fmt.Sprintf("Latency of GET / under wrk -t %d -c %d (ms, log scale)", r.Config.WrkThreads, r.Config.WrkConnections)
	return renderBarChart(title, "ms", bars, legend)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// renderBarChart draws bars grouped by their group field, in order.
func renderBarChart(title, unit string, bars []bar, legend []bar) string {
	lo, hi := logRange(bars)
	plotLeft := float64(labelWidth)
	plotWidth := float64(chartWidth - labelWidth - valueWidth)
	xOf := func(v float64) float64 {
		if v <= 0 {
			return plotLeft
		}
		return plotLeft + (math.Log10(v)-lo)/(hi-lo)*plotWidth
	}

	var body strings.Builder
	y := float64(chartTop)
	for i, b := range bars {
		if i > 0 && b.group != bars[i-1].group {
			y += groupGap
		}
		if i == 0 || b.group != bars[i-1].group {
			fmt.Fprintf(&body, `<text x="%d" y="%.1f" text-anchor="end" font-weight="bold">%s</text>`+"\n",
				labelWidth-10, y+barHeight*0.75, html.EscapeString(b.group))
		}
		x := xOf(b.value)
		fmt.Fprintf(&body, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>`+"\n",
			plotLeft, y, math.Max(x-plotLeft, 1), barHeight, b.color, html.EscapeString(strings.TrimSpace(b.group+" "+b.label+" "+b.text)))
		if b.label != "" && x-plotLeft > 28 {
			fmt.Fprintf(&body, `<text x="%.1f" y="%.1f" font-size="10" fill="#fff">%s</text>`+"\n",
				plotLeft+4, y+barHeight*0.72, html.EscapeString(b.label))
		}
		fmt.Fprintf(&body, `<text x="%.1f" y="%.1f">%s</text>`+"\n", math.Max(x, plotLeft+24)+5, y+barHeight*0.75, html.EscapeString(b.text))
		y += barHeight + barGap
	}
	axisY := y + 4
	height := int(axisY) + chartBottom

	var grid strings.Builder
	for e := lo; e <= hi+1e-9; e++ {
		x := xOf(math.Pow(10, e))
		fmt.Fprintf(&grid, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", x, chartTop-6, x, axisY)
		fmt.Fprintf(&grid, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="11" fill="#555">%s</text>`+"\n",
			x, axisY+16, formatTick(math.Pow(10, e), unit))
	}

	var out strings.Builder
	fmt.Fprintf(&out, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="12">`+"\n",
		chartWidth, height, chartWidth, height)
	fmt.Fprintf(&out, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", chartWidth, height)
	fmt.Fprintf(&out, `<text x="10" y="22" font-size="14" font-weight="bold">%s</text>`+"\n", html.EscapeString(title))
	for i, l := range legend {
		lx := chartWidth - 150 + i*70
		fmt.Fprintf(&out, `<rect x="%d" y="12" width="12" height="12" fill="%s"/><text x="%d" y="22">%s</text>`+"\n", lx, l.color, lx+16, html.EscapeString(l.label))
	}
	out.WriteString(grid.String())
	out.WriteString(body.String())
	if len(bars) == 0 {
		fmt.Fprintf(&out, `<text x="%d" y="%d">no measurements</text>`+"\n", labelWidth, chartTop+12)
	}
	out.WriteString("</svg>\n")
	return out.String()
}

// logRange returns the decimal exponents of the axis ends: the powers of
// ten just below the smallest value and just above the largest.
func logRange(bars []bar) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, b := range bars {
		if b.value > 0 {
			lo = math.Min(lo, math.Floor(math.Log10(b.value)))
			hi = math.Max(hi, math.Ceil(math.Log10(b.value)))
		}
	}
	if math.IsInf(lo, 1) {
		return 0, 1
	}
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi
}

func formatTick(v float64, unit string) string {
	if v >= 1 {
		return fmt.Sprintf("%g %s", v, unit)
	}
	return fmt.Sprintf("%s %s", strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), unit)
}
