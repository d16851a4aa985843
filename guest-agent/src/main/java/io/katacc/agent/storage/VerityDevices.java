package io.katacc.agent.storage;

import io.katacc.verity.dm.DeviceMapper;
import io.katacc.verity.hashtree.VerityParams;
import java.io.IOException;

/** dm-verity devices over image layers: image-verity's device-mapper code in the guest. */
public interface VerityDevices {

    /** Why dm-verity cannot be used here, or null when it can. */
    String unavailableReason();

    /** Opens {@code device} as dm-verity device {@code name}; the path of the verified device. */
    String open(String name, String device, VerityParams params) throws IOException;

    void remove(String name) throws IOException;

    static VerityDevices deviceMapper() {
        return new VerityDevices() {
            @Override
            public String unavailableReason() {
                return DeviceMapper.unavailableReason();
            }

            @Override
            public String open(String name, String device, VerityParams params) throws IOException {
                return new DeviceMapper().openVerity(name, device, params).path();
            }

            @Override
            public void remove(String name) throws IOException {
                new DeviceMapper().remove(name);
            }
        };
    }
}
