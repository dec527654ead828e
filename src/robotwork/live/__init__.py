"""Live fleet status over MQTT: which robots are working right now, and which stopped.

`contract` is the public topic and payload format; `subscriber` keeps the live picture and writes
it (`tracker` in memory, `persist` to the registry and the store); `broker` keeps Mosquitto's
passwords in step with device tokens; `alerts` and `evidence` compare it with what robots usually
do and with their recordings; `simulator` is a fleet of real MQTT clients for the demo and tests.
"""
