package io.switchboard.globaldb;

/** The globaldb contract on {@link InMemoryGlobalDb}. */
class InMemoryGlobalDbContractTest extends GlobalDbContractTest {

    @Override
    protected GlobalDb newDb() {
        return new InMemoryGlobalDb(ITERATIONS);
    }
}
