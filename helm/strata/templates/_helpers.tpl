{{/* Chart name, overridable. */}}
{{- define "strata.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name: release-chart, or the release alone when it already holds the chart name. */}}
{{- define "strata.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "strata.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "strata.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "strata.selectorLabels" -}}
app.kubernetes.io/name: {{ include "strata.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "strata.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "strata.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The Secret holding credentials: an existing one, or the chart's. */}}
{{- define "strata.secretName" -}}
{{- default (include "strata.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* Where the Secret's keys are mounted as files (Strata reads *-file settings from here). */}}
{{- define "strata.secretDir" -}}/etc/strata/secrets{{- end }}

{{/* The cache volume: the claim (Deployment), emptyDir or hostPath (DaemonSet). */}}
{{- define "strata.cacheVolume" -}}
- name: cache
{{- if eq .Values.kind "DaemonSet" }}
{{- if eq .Values.daemonset.cache "hostPath" }}
  hostPath:
    path: {{ .Values.daemonset.hostPath }}
    type: DirectoryOrCreate
{{- else }}
  emptyDir:
    sizeLimit: {{ .Values.daemonset.emptyDirSizeLimit }}
{{- end }}
{{- else if .Values.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ default (printf "%s-cache" (include "strata.fullname" .)) .Values.persistence.existingClaim }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- end }}

{{/* The Strata container. */}}
{{- define "strata.container" -}}
- name: strata
  image: "{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}"
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  ports:
    - name: s3
      containerPort: {{ .Values.ports.s3 }}
      protocol: TCP
    - name: admin
      containerPort: {{ .Values.ports.admin }}
      protocol: TCP
  envFrom:
    - configMapRef:
        name: {{ include "strata.fullname" . }}
  env:
    {{- if .Values.upstream.staticCredentials }}
    - name: STRATA_UPSTREAM_ACCESS_KEY
      valueFrom:
        secretKeyRef:
          name: {{ include "strata.secretName" . }}
          key: upstream-access-key
    - name: STRATA_UPSTREAM_SECRET_KEY_FILE
      value: {{ include "strata.secretDir" . }}/upstream-secret-key
    {{- end }}
    - name: STRATA_AUTH_ACCESS_KEY
      valueFrom:
        secretKeyRef:
          name: {{ include "strata.secretName" . }}
          key: client-access-key
    - name: STRATA_AUTH_SECRET_KEY_FILE
      value: {{ include "strata.secretDir" . }}/client-secret-key
    - name: STRATA_ADMIN_TOKEN_FILE
      value: {{ include "strata.secretDir" . }}/admin-token
  # /health/* is open without the admin token, so the kubelet needs no credentials.
  livenessProbe:
    httpGet:
      path: {{ .Values.probes.liveness.path }}
      port: admin
    initialDelaySeconds: {{ .Values.probes.liveness.initialDelaySeconds }}
    periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
    failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
  readinessProbe:
    httpGet:
      path: {{ .Values.probes.readiness.path }}
      port: admin
    initialDelaySeconds: {{ .Values.probes.readiness.initialDelaySeconds }}
    periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
    failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
  resources:
    {{- toYaml .Values.resources | nindent 4 }}
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  volumeMounts:
    - name: cache
      mountPath: /var/lib/strata
    # readOnlyRootFilesystem: the JVM, SQLite and Netty extract native libraries into /tmp
    - name: tmp
      mountPath: /tmp
    - name: secrets
      mountPath: {{ include "strata.secretDir" . }}
      readOnly: true
{{- end }}

{{/* Env a query engine needs to read through the Strata beside it. */}}
{{- define "strata.clientEnv" -}}
- name: AWS_ENDPOINT_URL
  value: http://127.0.0.1:{{ .Values.ports.s3 }}
- name: AWS_ENDPOINT_URL_S3
  value: http://127.0.0.1:{{ .Values.ports.s3 }}
- name: AWS_REGION
  value: {{ .Values.upstream.region | quote }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "strata.secretName" . }}
      key: client-access-key
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "strata.secretName" . }}
      key: client-secret-key
{{- end }}
