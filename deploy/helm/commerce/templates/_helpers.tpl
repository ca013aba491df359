{{- define "commerce.labels" -}}
app.kubernetes.io/part-of: commerce
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "commerce.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "commerce.image" -}}
{{ printf "%s/%s:%s" .root.Values.image.registry .image .root.Values.image.tag }}
{{- end -}}

{{/* One Deployment: .name, .image, .port, .spec (merged app or role values), .env, .root */}}
{{- define "commerce.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
  labels:
    {{- include "commerce.labels" . | nindent 4 }}
    {{- include "commerce.selector" . | nindent 4 }}
spec:
  {{- if not .hpa }}
  replicas: {{ .spec.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }
  selector:
    matchLabels:
      {{- include "commerce.selector" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "commerce.labels" . | nindent 8 }}
        {{- include "commerce.selector" . | nindent 8 }}
      annotations:
        checksum/config: {{ .root.Values.config | toJson | sha256sum }}
    spec:
      terminationGracePeriodSeconds: {{ .spec.terminationGracePeriodSeconds }}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: {{ .name }}
          image: {{ include "commerce.image" . }}
          imagePullPolicy: {{ .root.Values.image.pullPolicy }}
          {{- with .command }}
          command: {{ toJson . }}
          {{- end }}
          ports:
            - { name: http, containerPort: {{ .port }}, protocol: TCP }
            {{- with .metricsPort }}
            - { name: sdk-metrics, containerPort: {{ . }}, protocol: TCP }
            {{- end }}
          envFrom:
            - configMapRef: { name: commerce-config }
          env:
            - { name: PORT, value: {{ .port | quote }} }
            {{- range $k, $v := .env }}
            - { name: {{ $k }}, value: {{ $v | toString | quote }} }
            {{- end }}
            {{- range $k, $key := .spec.secretEnv }}
            - name: {{ $k }}
              valueFrom: { secretKeyRef: { name: {{ $.root.Values.secretName }}, key: {{ $key }} } }
            {{- end }}
          # Migrations run at start under a PostgreSQL advisory lock per service: replicas that
          # start together take turns, so no separate Job is needed; the startup probe gives
          # them the time.
          startupProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: 2
            failureThreshold: 90
          livenessProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: /health, port: http }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          resources:
            {{- toYaml .spec.resources | nindent 12 }}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          volumeMounts:
            - { name: tmp, mountPath: /tmp }
      volumes:
        - name: tmp
          emptyDir: { sizeLimit: 64Mi }
{{- end -}}

{{- define "commerce.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .name }}
  labels:
    {{- include "commerce.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .spec.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "commerce.selector" . | nindent 6 }}
{{- end -}}
