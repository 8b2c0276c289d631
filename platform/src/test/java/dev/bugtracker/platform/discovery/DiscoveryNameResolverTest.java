package dev.bugtracker.platform.discovery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.bugtracker.api.notificator.v1.NotificatorGrpc;
import dev.bugtracker.api.notificator.v1.SendEmailReply;
import dev.bugtracker.api.notificator.v1.SendEmailRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Real gRPC servers on free ports, a real channel with the {@code discovery:///} target,
 * and a discovery client whose instances the test changes.
 */
class DiscoveryNameResolverTest {

	private final List<Server> servers = new ArrayList<>();

	private final MutableDiscoveryClient discovery = new MutableDiscoveryClient();

	private final DiscoveryNameResolverProvider provider = new DiscoveryNameResolverProvider(this.discovery);

	private ManagedChannel channel;

	@BeforeEach
	void registerProvider() {
		NameResolverRegistry.getDefaultRegistry().register(this.provider);
		this.channel = ManagedChannelBuilder.forTarget("discovery:///notificator-service")
			.defaultLoadBalancingPolicy("round_robin")
			.usePlaintext()
			.build();
	}

	@AfterEach
	void shutDown() throws InterruptedException {
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		NameResolverRegistry.getDefaultRegistry().deregister(this.provider);
		for (Server server : this.servers) {
			server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void spreadsCallsRoundRobinOverEveryRegisteredInstance() throws IOException {
		int a = startServer("a");
		int b = startServer("b");
		this.discovery.instances = List.of(instance("a", a), instance("b", b));

		Set<String> answeredBy = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			answeredBy.add(call());
		}

		assertThat(answeredBy).containsExactlyInAnyOrder("a", "b");
	}

	@Test
	void followsInstancesAsTheyComeAndGo() throws IOException {
		int a = startServer("a");
		int b = startServer("b");
		this.discovery.instances = List.of(instance("a", a));
		assertThat(call()).isEqualTo("a");

		this.discovery.instances = List.of(instance("b", b));
		this.provider.refreshAll();

		await().atMost(Duration.ofSeconds(5)).until(() -> call().equals("b"));
		for (int i = 0; i < 5; i++) {
			assertThat(call()).isEqualTo("b");
		}
	}

	@Test
	void failsWithUnavailableNamingTheServiceWhenNoInstanceIsRegistered() {
		this.discovery.instances = List.of();

		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(this::call)
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.withMessageContaining("notificator-service");
	}

	@Test
	void skipsInstancesThatPublishNoGrpcPort() throws IOException {
		int a = startServer("a");
		ServiceInstance withoutPort = new DefaultServiceInstance("x", "notificator-service", "127.0.0.1", 1, false,
				Map.of());
		this.discovery.instances = List.of(withoutPort, instance("a", a));

		for (int i = 0; i < 4; i++) {
			assertThat(call()).isEqualTo("a");
		}
	}

	private String call() {
		SendEmailReply reply = NotificatorGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(2, TimeUnit.SECONDS)
			.sendEmail(SendEmailRequest.getDefaultInstance());
		return reply.getId();
	}

	private int startServer(String name) throws IOException {
		Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addService(new NotificatorGrpc.NotificatorImplBase() {
				@Override
				public void sendEmail(SendEmailRequest request, StreamObserver<SendEmailReply> responses) {
					responses.onNext(SendEmailReply.newBuilder().setId(name).build());
					responses.onCompleted();
				}
			})
			.build()
			.start();
		this.servers.add(server);
		return server.getPort();
	}

	private static ServiceInstance instance(String id, int grpcPort) {
		return new DefaultServiceInstance(id, "notificator-service", "127.0.0.1", 8080, false,
				Map.of(DiscoveryNameResolverProvider.GRPC_PORT_METADATA, String.valueOf(grpcPort)));
	}

	static final class MutableDiscoveryClient implements DiscoveryClient {

		volatile List<ServiceInstance> instances = new CopyOnWriteArrayList<>();

		@Override
		public String description() {
			return "test";
		}

		@Override
		public List<ServiceInstance> getInstances(String serviceId) {
			return "notificator-service".equals(serviceId) ? this.instances : List.of();
		}

		@Override
		public List<String> getServices() {
			return List.of("notificator-service");
		}

	}

}
