/**
 * The parts of Kubernetes Pod, ConfigMap and Secret JSON that Edged reads, and the PodStatus it writes. Field names
 * are the API's; objects arrive as decoded JSON, so every field is optional.
 *
 * @module
 */

/** Object metadata as Edged reads it. */
export type ObjectMeta = {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
};

/** `key: value` selection from a ConfigMap or Secret. */
export type KeySelector = { name?: string; key: string; optional?: boolean };

/** A container's environment variable. */
export type EnvVar = {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: KeySelector;
    secretKeyRef?: KeySelector;
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number };
  };
};

/** A whole ConfigMap or Secret as environment. */
export type EnvFromSource = {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
};

/** How a probe checks a container. */
export type Probe = {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port: number | string; host?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
};

/** A container port. */
export type ContainerPort = { name?: string; containerPort: number; hostPort?: number; hostIP?: string; protocol?: string };

/** A volume mounted into a container. */
export type VolumeMount = { name: string; mountPath: string; subPath?: string; readOnly?: boolean };

/** Security settings; pod-level ones are defaults for every container. */
export type SecurityContext = {
  runAsUser?: number;
  runAsGroup?: number;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
};

/** A container of a pod. */
export type Container = {
  name: string;
  image?: string;
  imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: ContainerPort[];
  volumeMounts?: VolumeMount[];
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
  securityContext?: SecurityContext;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  tty?: boolean;
  stdin?: boolean;
};

/** A file taken from a key. */
export type KeyToPath = { key: string; path: string; mode?: number };

/** Downward API file. */
export type DownwardFile = { path: string; fieldRef?: { fieldPath: string }; mode?: number };

/** A pod volume; Edged supports the kinds below. */
export type Volume = {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  hostPath?: { path: string; type?: string };
  configMap?: { name: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  downwardAPI?: { items?: DownwardFile[]; defaultMode?: number };
  projected?: {
    defaultMode?: number;
    sources?: {
      configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
      secret?: { name: string; items?: KeyToPath[]; optional?: boolean };
      downwardAPI?: { items?: DownwardFile[] };
      serviceAccountToken?: { audience?: string; expirationSeconds?: number; path: string };
    }[];
  };
};

/** The pod spec fields Edged acts on. */
export type PodSpec = {
  nodeName?: string;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  restartPolicy?: "Always" | "OnFailure" | "Never";
  terminationGracePeriodSeconds?: number;
  hostNetwork?: boolean;
  hostname?: string;
  securityContext?: SecurityContext;
  serviceAccountName?: string;
  /** Unset means true, as the API defaults it. */
  enableServiceLinks?: boolean;
};

/** A pod as stored by MetaManager. */
export type Pod = { apiVersion?: string; kind?: string; metadata: ObjectMeta; spec: PodSpec; status?: PodStatus };

/** A ConfigMap. */
export type ConfigMap = { metadata: ObjectMeta; data?: Record<string, string>; binaryData?: Record<string, string> };

/** A Secret; `data` values are base64. */
export type Secret = { metadata: ObjectMeta; data?: Record<string, string>; stringData?: Record<string, string> };

/** A container's state: exactly one key is set. */
export type ContainerState = {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt?: string; containerID?: string };
};

/** One container's status. */
export type ContainerStatus = {
  name: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
};

/** A pod condition. */
export type PodCondition = { type: string; status: "True" | "False" | "Unknown"; reason?: string; message?: string; lastProbeTime: null; lastTransitionTime: string };

/** The PodStatus Edged reports. */
export type PodStatus = {
  phase: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  conditions: PodCondition[];
  hostIP?: string;
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  initContainerStatuses?: ContainerStatus[];
  containerStatuses: ContainerStatus[];
  qosClass?: string;
  message?: string;
  reason?: string;
};
