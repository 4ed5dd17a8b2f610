/**
 * The Device and DeviceModel CRDs (`devices.kubeedge.io/v1alpha1`) that the embedded API installs at start, kept in
 * the code so a single binary needs no files beside it. `conf/crds/` holds the same manifests for `kubectl apply` on a
 * real cluster; test/cloud/apiserver/device_crds_test.ts keeps the two identical.
 *
 * @module
 */

/** Manifest file name to YAML text. */
export const DEVICE_CRD_MANIFESTS: Record<string, string> = {
  "devices_v1alpha1_device.yaml": `# Device: one physical device, its model, protocol, the node it is bound to, and its twins
# (status.twins[].desired is set by users, status.twins[].reported by the edge).
# Installed by cloud_core's embedded API at start; apply it to a real cluster with kubectl apply -f.
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: devices.devices.kubeedge.io
  labels:
    app.kubernetes.io/part-of: kubeedge-ts
spec:
  group: devices.kubeedge.io
  scope: Namespaced
  names:
    kind: Device
    listKind: DeviceList
    plural: devices
    singular: device
  versions:
    - name: v1alpha1
      served: true
      storage: true
      additionalPrinterColumns:
        - name: Model
          type: string
          jsonPath: .spec.deviceModelRef.name
        - name: Age
          type: date
          jsonPath: .metadata.creationTimestamp
      # No status subresource: users write status.twins[].desired together with the spec.
      schema:
        openAPIV3Schema:
          type: object
          description: A device bound to one edge node.
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              type: object
              properties:
                deviceModelRef:
                  type: object
                  properties:
                    name: {type: string}
                protocol:
                  type: object
                  description: "How the mapper reaches the device: modbus, bluetooth, opcua or customizedProtocol."
                  x-kubernetes-preserve-unknown-fields: true
                nodeSelector:
                  type: object
                  description: "nodeSelectorTerms[0].matchExpressions[0].values[0] names the node."
                  x-kubernetes-preserve-unknown-fields: true
                propertyVisitors:
                  type: array
                  items:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
              x-kubernetes-preserve-unknown-fields: true
            status:
              type: object
              properties:
                twins:
                  type: array
                  items:
                    type: object
                    required: [propertyName]
                    properties:
                      propertyName: {type: string}
                      desired:
                        type: object
                        properties:
                          value: {type: string}
                          metadata:
                            type: object
                            additionalProperties: {type: string}
                      reported:
                        type: object
                        properties:
                          value: {type: string}
                          metadata:
                            type: object
                            additionalProperties: {type: string}
              x-kubernetes-preserve-unknown-fields: true
`,
  "devices_v1alpha1_devicemodel.yaml": `# DeviceModel: the properties a kind of device has (name, type, access mode, range, unit).
# Installed by cloud_core's embedded API at start; apply it to a real cluster with kubectl apply -f.
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: devicemodels.devices.kubeedge.io
  labels:
    app.kubernetes.io/part-of: kubeedge-ts
spec:
  group: devices.kubeedge.io
  scope: Namespaced
  names:
    kind: DeviceModel
    listKind: DeviceModelList
    plural: devicemodels
    singular: devicemodel
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          description: A model of device, shared by every Device that references it.
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              type: object
              properties:
                properties:
                  type: array
                  description: The readable or writable values a device of this model exposes.
                  items:
                    type: object
                    required: [name, type]
                    x-kubernetes-preserve-unknown-fields: true
                    properties:
                      name: {type: string}
                      description: {type: string}
                      type:
                        type: object
                        description: "Exactly one of int, string, double, float, boolean, bytes, each with accessMode, defaultValue, minimum, maximum, unit."
                        x-kubernetes-preserve-unknown-fields: true
              x-kubernetes-preserve-unknown-fields: true
`,
};
