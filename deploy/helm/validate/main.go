// Command validate checks rendered Kubernetes manifests offline: every document is decoded
// strictly (unknown or duplicate fields, wrong types fail) into the k8s.io/api types of the
// pinned Kubernetes version (go.mod), then checked for what this project promises: probes on the
// health routes, requests and limits, a grace period longer than the longest activity for
// worker roles, an HPA and a PDB that point at existing Deployments.
//
//	helm template ... | go run . [-min-worker-grace 45]
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

func main() {
	minGrace := flag.Int64("min-worker-grace", 45, "seconds: worker roles' terminationGracePeriodSeconds must exceed this")
	flag.Parse()
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, autoscalingv2.AddToScheme, policyv1.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			fail(err)
		}
	}
	decoder := serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()

	var problems []string
	report := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	deployments := map[string]*appsv1.Deployment{}
	var hpas []*autoscalingv2.HorizontalPodAutoscaler
	var pdbs []*policyv1.PodDisruptionBudget
	var services []*corev1.Service
	kinds := map[string]int{}

	reader := utilyaml.NewYAMLReader(bufio.NewReader(os.Stdin))
	for n := 1; ; n++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail(err)
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		obj, gvk, err := decoder.Decode(doc, nil, nil)
		if err != nil {
			report("document %d: %v", n, err)
			continue
		}
		kinds[gvk.Kind]++
		switch o := obj.(type) {
		case *appsv1.Deployment:
			deployments[o.Name] = o
		case *autoscalingv2.HorizontalPodAutoscaler:
			hpas = append(hpas, o)
		case *policyv1.PodDisruptionBudget:
			pdbs = append(pdbs, o)
		case *corev1.Service:
			services = append(services, o)
		case *corev1.ConfigMap, *corev1.Secret:
		default:
			report("document %d: unexpected kind %s", n, gvk)
		}
	}

	for name, d := range deployments {
		spec := d.Spec.Template.Spec
		worker := strings.HasSuffix(name, "-worker")
		if worker && (spec.TerminationGracePeriodSeconds == nil || *spec.TerminationGracePeriodSeconds <= *minGrace) {
			report("deployment %s: terminationGracePeriodSeconds must exceed %d s (longest activity)", name, *minGrace)
		}
		if !labels.SelectorFromSet(d.Spec.Selector.MatchLabels).Matches(labels.Set(d.Spec.Template.Labels)) {
			report("deployment %s: selector does not match its pod template", name)
		}
		for _, c := range spec.Containers {
			probe := func(kind string, p *corev1.Probe, path string) {
				if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != path {
					report("deployment %s: %s probe must GET %s", name, kind, path)
				}
			}
			probe("liveness", c.LivenessProbe, "/health/live")
			probe("readiness", c.ReadinessProbe, "/health")
			for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				if _, ok := c.Resources.Requests[r]; !ok {
					report("deployment %s: no %s request", name, r)
				}
				if _, ok := c.Resources.Limits[r]; !ok {
					report("deployment %s: no %s limit", name, r)
				}
			}
		}
	}
	hpaTargets := map[string]bool{}
	for _, h := range hpas {
		if _, ok := deployments[h.Spec.ScaleTargetRef.Name]; !ok || h.Spec.ScaleTargetRef.Kind != "Deployment" {
			report("hpa %s: target %s/%s is no Deployment here", h.Name, h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name)
		}
		hpaTargets[h.Spec.ScaleTargetRef.Name] = true
	}
	covered := map[string]bool{}
	for _, p := range pdbs {
		sel, err := metav1.LabelSelectorAsSelector(p.Spec.Selector)
		if err != nil {
			report("pdb %s: %v", p.Name, err)
			continue
		}
		for name, d := range deployments {
			if sel.Matches(labels.Set(d.Spec.Template.Labels)) {
				covered[name] = true
			}
		}
	}
	for _, s := range services {
		sel := labels.SelectorFromSet(s.Spec.Selector)
		found := false
		for _, d := range deployments {
			found = found || sel.Matches(labels.Set(d.Spec.Template.Labels))
		}
		if !found {
			report("service %s: selects no Deployment's pods", s.Name)
		}
	}
	for name := range deployments {
		if !covered[name] {
			report("deployment %s: no PodDisruptionBudget", name)
		}
		if strings.HasSuffix(name, "-worker") && !hpaTargets[name] {
			report("deployment %s: worker role without a HorizontalPodAutoscaler", name)
		}
	}
	if len(deployments) == 0 {
		report("no Deployment rendered")
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "INVALID:", p)
		}
		os.Exit(1)
	}
	fmt.Printf("valid: %v (k8s.io/api strict decoding)\n", kinds)
}

// stripComments drops comment-only lines so an empty document (`---` then comments) is skipped.
func stripComments(doc []byte) []byte {
	var out bytes.Buffer
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			out.Write(line)
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "validate:", err)
	os.Exit(2)
}
