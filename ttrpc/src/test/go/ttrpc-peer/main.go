// ttrpc-peer is the Go side of the interop tests, demo and benchmark: a containerd/ttrpc server and client
// (Debian's golang-github-containerd-ttrpc-dev) speaking the same test service as the Java peer.
//
//	ttrpc-peer serve -socket PATH
//	ttrpc-peer call  -socket PATH -method M [-value V | -size N] [-timeout D] [-md k=v]... [-concurrency C]
//	ttrpc-peer bench -socket PATH [-n N] [-c C] [-size BYTES]
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/containerd/ttrpc"
	"github.com/gogo/protobuf/types"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

const service = "kcc.test.Echo"

type mdFlags []string

func (m *mdFlags) String() string     { return strings.Join(*m, ",") }
func (m *mdFlags) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: ttrpc-peer serve|call|bench ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "call":
		err = call(os.Args[2:])
	case "bench":
		err = bench(os.Args[2:])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ttrpc-peer:", err)
		os.Exit(1)
	}
}

func bytesReq(unmarshal func(interface{}) error) (*types.BytesValue, error) {
	var req types.BytesValue
	if err := unmarshal(&req); err != nil {
		return nil, err
	}
	return &req, nil
}

// The test service; the Java peer implements the same methods (see EchoService.java).
func methods() map[string]ttrpc.Method {
	return map[string]ttrpc.Method{
		"Echo": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			return bytesReq(unmarshal)
		},
		// value "CODE:message" -> that status
		"Fail": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			req, err := bytesReq(unmarshal)
			if err != nil {
				return nil, err
			}
			parts := strings.SplitN(string(req.Value), ":", 2)
			code, _ := strconv.Atoi(parts[0])
			return nil, status.Error(codes.Code(code), parts[1])
		},
		// value = Go duration; returns early with the context error at the deadline
		"Sleep": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			req, err := bytesReq(unmarshal)
			if err != nil {
				return nil, err
			}
			d, err := time.ParseDuration(string(req.Value))
			if err != nil {
				return nil, status.Error(codes.InvalidArgument, err.Error())
			}
			select {
			case <-time.After(d):
				return req, nil
			case <-ctx.Done():
				return nil, status.Error(codes.DeadlineExceeded, ctx.Err().Error())
			}
		},
		// metadata rendered as sorted "k=v1,v2;..." plus whether a deadline was set
		"Meta": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			if _, err := bytesReq(unmarshal); err != nil {
				return nil, err
			}
			md, _ := ttrpc.GetMetadata(ctx)
			var keys []string
			for k := range md {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var b strings.Builder
			for _, k := range keys {
				fmt.Fprintf(&b, "%s=%s;", k, strings.Join(md[k], ","))
			}
			_, hasDeadline := ctx.Deadline()
			fmt.Fprintf(&b, "deadline=%v", hasDeadline)
			return &types.BytesValue{Value: []byte(b.String())}, nil
		},
		// value = decimal N -> N bytes of 'r'
		"Size": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			req, err := bytesReq(unmarshal)
			if err != nil {
				return nil, err
			}
			n, err := strconv.Atoi(string(req.Value))
			if err != nil {
				return nil, status.Error(codes.InvalidArgument, err.Error())
			}
			return &types.BytesValue{Value: bytes.Repeat([]byte{'r'}, n)}, nil
		},
	}
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	socket := fs.String("socket", "", "unix socket to listen on")
	fs.Parse(args)
	os.Remove(*socket)
	l, err := net.Listen("unix", *socket)
	if err != nil {
		return err
	}
	s, err := ttrpc.NewServer()
	if err != nil {
		return err
	}
	s.Register(service, methods())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sigs
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		os.Exit(0)
	}()
	fmt.Println("listening", *socket)
	if err := s.Serve(context.Background(), l); err != nil && err != ttrpc.ErrServerClosed {
		return err
	}
	select {} // Shutdown in progress; the signal handler exits
}

func dial(socket string, opts ...ttrpc.ClientOpts) (*ttrpc.Client, error) {
	conn, err := net.Dial("unix", socket)
	if err != nil {
		return nil, err
	}
	return ttrpc.NewClient(conn, opts...), nil
}

// call prints one line: "code=<n> len=<bytes> value=<value if short>" or "code=<n> msg=<message>".
func call(args []string) error {
	fs := flag.NewFlagSet("call", flag.ExitOnError)
	socket := fs.String("socket", "", "unix socket to connect to")
	svc := fs.String("service", service, "service name")
	method := fs.String("method", "Echo", "method name")
	value := fs.String("value", "", "request value")
	size := fs.Int("size", -1, "send a request value of this many bytes instead")
	timeout := fs.Duration("timeout", 0, "call deadline (0 = none)")
	serverTimeout := fs.Duration("server-timeout", 0, "send this timeout_nano but let the client wait for the server's answer")
	concurrency := fs.Int("concurrency", 1, "parallel Echo calls with distinct values; prints a summary")
	var md mdFlags
	fs.Var(&md, "md", "metadata key=value (repeatable)")
	fs.Parse(args)

	var opts []ttrpc.ClientOpts
	if *serverTimeout > 0 {
		opts = append(opts, ttrpc.WithUnaryClientInterceptor(func(ctx context.Context, req *ttrpc.Request,
			resp *ttrpc.Response, _ *ttrpc.UnaryClientInfo, invoke ttrpc.Invoker) error {
			req.TimeoutNano = serverTimeout.Nanoseconds()
			return invoke(ctx, req, resp)
		}))
	}
	client, err := dial(*socket, opts...)
	if err != nil {
		return err
	}
	defer client.Close()
	ctx := context.Background()
	if len(md) > 0 {
		m := ttrpc.MD{}
		for _, kv := range md {
			p := strings.SplitN(kv, "=", 2)
			m.Append(p[0], p[1])
		}
		ctx = ttrpc.WithMetadata(ctx, m)
	}
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	if *concurrency > 1 {
		return concurrent(ctx, client, *svc, *method, *concurrency)
	}
	req := &types.BytesValue{Value: []byte(*value)}
	if *size >= 0 {
		req.Value = bytes.Repeat([]byte{'q'}, *size)
	}
	var resp types.BytesValue
	err = client.Call(ctx, *svc, *method, req, &resp)
	printResult(&resp, err)
	// a second call proves the connection survived whatever happened above
	var again types.BytesValue
	err = client.Call(context.Background(), service, "Echo", &types.BytesValue{Value: []byte("again")}, &again)
	fmt.Printf("after: ")
	printResult(&again, err)
	return nil
}

func printResult(resp *types.BytesValue, err error) {
	if errors.Is(err, context.DeadlineExceeded) {
		fmt.Printf("code=%d msg=client-side: %v\n", codes.DeadlineExceeded, err)
		return
	}
	if err != nil {
		st, _ := status.FromError(err)
		fmt.Printf("code=%d msg=%s\n", st.Code(), strings.ReplaceAll(st.Message(), "\n", " "))
		return
	}
	v := string(resp.Value)
	if len(v) > 64 {
		v = v[:64] + "..."
	}
	fmt.Printf("code=0 len=%d value=%s\n", len(resp.Value), v)
}

func concurrent(ctx context.Context, client *ttrpc.Client, svc, method string, n int) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, failed := 0, 0
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			want := fmt.Sprintf("c%d", i)
			var resp types.BytesValue
			err := client.Call(ctx, svc, method, &types.BytesValue{Value: []byte(want)}, &resp)
			mu.Lock()
			defer mu.Unlock()
			if err == nil && string(resp.Value) == want {
				ok++
			} else {
				failed++
				fmt.Fprintf(os.Stderr, "call %d: err=%v value=%q\n", i, err, resp.Value)
			}
		}(i)
	}
	close(start)
	wg.Wait()
	fmt.Printf("concurrent ok=%d failed=%d\n", ok, failed)
	return nil
}

// bench: n Echo calls of `size` bytes from c goroutines over one connection.
func bench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	socket := fs.String("socket", "", "unix socket to connect to")
	n := fs.Int("n", 100000, "total calls")
	c := fs.Int("c", 16, "concurrent callers")
	size := fs.Int("size", 1024, "payload bytes")
	warmup := fs.Int("warmup", 10000, "untimed calls first")
	fs.Parse(args)
	client, err := dial(*socket)
	if err != nil {
		return err
	}
	defer client.Close()
	payload := &types.BytesValue{Value: bytes.Repeat([]byte{'b'}, *size)}
	run := func(total int, lat []time.Duration) (time.Duration, error) {
		var wg sync.WaitGroup
		var firstErr error
		var mu sync.Mutex
		per := total / *c
		start := time.Now()
		for g := 0; g < *c; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < per; i++ {
					t0 := time.Now()
					var resp types.BytesValue
					if err := client.Call(context.Background(), service, "Echo", payload, &resp); err != nil {
						mu.Lock()
						firstErr = err
						mu.Unlock()
						return
					}
					if lat != nil {
						lat[g*per+i] = time.Since(t0)
					}
				}
			}(g)
		}
		wg.Wait()
		return time.Since(start), firstErr
	}
	if _, err := run(*warmup, nil); err != nil {
		return err
	}
	total := (*n / *c) * *c
	lat := make([]time.Duration, total)
	elapsed, err := run(total, lat)
	if err != nil {
		return err
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Printf("calls=%d calls_per_s=%.0f p50_us=%.1f p99_us=%.1f\n", total, float64(total)/elapsed.Seconds(),
		float64(lat[total*50/100].Nanoseconds())/1000, float64(lat[total*99/100].Nanoseconds())/1000)
	return nil
}
