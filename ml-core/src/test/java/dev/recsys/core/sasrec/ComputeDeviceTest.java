package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import ai.djl.Device;

class ComputeDeviceTest {

    @Test
    void autoTakesAGpuWhenOneIsVisibleAndGpuRefusesWithoutOne() {
        assertEquals(Device.cpu(), ComputeDevice.select(ComputeDevice.Choice.AUTO, 0));
        assertEquals(Device.gpu(0), ComputeDevice.select(ComputeDevice.Choice.AUTO, 2));
        assertEquals(Device.cpu(), ComputeDevice.select(ComputeDevice.Choice.CPU, 2));
        assertEquals(Device.gpu(0), ComputeDevice.select(ComputeDevice.Choice.GPU, 1));
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> ComputeDevice.select(ComputeDevice.Choice.GPU, 0));
        assertTrue(none.getMessage().contains("worker.device=gpu") && none.getMessage().contains("-Pcuda"),
                none.getMessage());
    }

    /** On this machine (the CPU build, no GPU): auto is the CPU, models live there, and gpu refuses. */
    @Test
    void theEngineHereRunsOnTheCpuAndModelsAreMadeThere() {
        Path cache = Path.of(System.getProperty("DJL_CACHE_DIR", "target/djl-cache"));
        assertEquals(Device.cpu(), PyTorchEngine.load(cache, 1, ComputeDevice.Choice.AUTO));
        try (SasRecModel model = SasRecModel.create(SasRecModelTest.SMALL, 10)) {
            assertEquals(Device.cpu(), model.manager().getDevice());
        }
        assertThrows(IllegalStateException.class, () -> PyTorchEngine.load(cache, 1, ComputeDevice.Choice.GPU));
        assertEquals(Device.cpu(), ComputeDevice.current(), "a refused choice changes nothing");
    }
}
