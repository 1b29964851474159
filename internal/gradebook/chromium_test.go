package gradebook

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromiumPath returns the Debian chromium binary. Without it the test is
// skipped, except under CI=true, where it fails: CI installs chromium.
func chromiumPath(t *testing.T) string {
	t.Helper()
	const path = "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		msg := "headless Chromium is missing at " + path + ": install it with 'apt-get install -y chromium'"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

// runChromium runs headless Chromium on page with extra arguments and
// returns its standard output.
func runChromium(t *testing.T, page string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir=" + t.TempDir(), "--window-size=1200,800",
	}
	cmd := exec.CommandContext(ctx, chromiumPath(t), append(append(base, args...), "file://"+page)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.String()
}

func writeHostilePage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := Write(dir, hostileBook(t)); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, HTMLFile)
}

func TestHTMLInChromiumDOM(t *testing.T) {
	chromiumPath(t)
	dom := runChromium(t, writeHostilePage(t), "--dump-dom")
	title := regexp.MustCompile(`<title>(.*?)</title>`).FindStringSubmatch(dom)
	if title == nil || title[1] != "Gradebook" {
		t.Errorf("title = %q, want Gradebook: an injected script ran", title)
	}
	if strings.Contains(dom, "pwned</title>") {
		t.Error("the injected script set the title")
	}
	if got := strings.Count(dom, "<tr>"); got != 1+4 {
		t.Errorf("DOM has %d rows, want a header and 4 students", got)
	}
	for _, login := range []string{">anna<", ">boris<", ">vera<", ">gleb<"} {
		if !strings.Contains(dom, login) {
			t.Errorf("DOM lacks the row of %s", login)
		}
	}
	if !strings.Contains(dom, `data-sortable="true"`) {
		t.Error("the page's own sorting script did not run: its CSP hash may not match")
	}
	if strings.Count(dom, "<script") != 1 {
		t.Errorf("DOM has %d script elements, want 1", strings.Count(dom, "<script"))
	}
}

func TestHTMLScreenshot(t *testing.T) {
	chromiumPath(t)
	shot := filepath.Join(t.TempDir(), "grades.png")
	runChromium(t, writeHostilePage(t), "--screenshot="+shot)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	info, _ := f.Stat()
	if info.Size() < 10_000 {
		t.Errorf("screenshot is %d bytes, too small for a rendered table", info.Size())
	}
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decoding the screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 800 {
		t.Errorf("screenshot is %dx%d, want 1200x800", b.Dx(), b.Dy())
	}
	colors := map[[3]uint32]bool{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 4 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 4 {
			r, g, b, _ := img.At(x, y).RGBA()
			colors[[3]uint32{r >> 8, g >> 8, b >> 8}] = true
		}
	}
	// A blank or error page has a handful of colours; text on the
	// verdict-coloured cells has many.
	if len(colors) < 20 {
		t.Errorf("screenshot has %d colours: the table did not render", len(colors))
	}
}
